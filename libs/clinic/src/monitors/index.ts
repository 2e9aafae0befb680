export { DeviceCodeMap, DeviceUnitMap } from './device-maps.entity.js';
export { Monitor } from './monitor.entity.js';
export { monitorView, type MonitorInput, type MonitorView } from './monitor-view.js';
export { MonitorsService } from './monitors.service.js';
