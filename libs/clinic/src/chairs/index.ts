export { Chair } from './chair.entity.js';
export { ChairsService, chairView, type ChairView } from './chairs.service.js';
