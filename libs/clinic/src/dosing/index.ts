export { DosingService, type DoseCalculationView, type DoseRequest } from './dosing.service.js';
