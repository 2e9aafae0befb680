export { CsDiscrepancy } from './discrepancy.entity.js';
export { CsEvent } from './cs-event.entity.js';
export { CsProduct, CsRegistration } from './registry.entity.js';
export { CsContainer, CsReceipt } from './stock.entity.js';
