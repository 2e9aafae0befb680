export { SessionBoardService, type BoardEntry } from './board.service.js';
export {
  DETAIL_READINGS,
  SessionViewsService,
  TIMELINE_KINDS,
  type SessionDetail,
  type SessionListFilter,
  type TimelineEntry,
} from './session-views.service.js';
export { WallBoardService } from './wall-board.service.js';
export { floorChanged, WALL_BOARD_CHANNEL, WallBoardSignals } from './wall-board-signals.js';
export { TREND_WINDOW_MIN, type LatestValue, type WallAlert, type WallBoard, type WallTile } from './wall-board.js';
