export { DeviceCodeMap, DeviceUnitMap } from './device-maps.entity.js';
