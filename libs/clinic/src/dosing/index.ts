export { DosingService, WEIGHT_BASES, type DoseCalculationView, type DoseRequest } from './dosing.service.js';
export { roundTo } from './dose-math.js';
export { devicesGiven, infusedMg, reconcileDose, type DoseReconciliation, type PumpEvent } from './delivered-dose.js';
