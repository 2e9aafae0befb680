export { SessionBoardService, type BoardEntry } from './board.service.js';
export {
  DETAIL_READINGS,
  SessionViewsService,
  type SessionDetail,
  type SessionListFilter,
  type TimelineEntry,
} from './session-views.service.js';
