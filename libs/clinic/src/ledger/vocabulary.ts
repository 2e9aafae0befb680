/** The ledger's lists, one place each: the entities, the API's validation and its published schema read them. */
export const CS_SUBSTANCES = ['ketamine', 'esketamine'] as const;
export type CsSubstance = (typeof CS_SUBSTANCES)[number];

/** What a container's quantity is counted in: millilitres of a vial, devices of a Spravato kit. */
export const CS_UNITS = ['mL', 'device'] as const;
export type CsUnit = (typeof CS_UNITS)[number];

/** A quantity's unit in events and discrepancies: also whole containers (a receipt's count). */
export const CS_QUANTITY_UNITS = [...CS_UNITS, 'container'] as const;
export type CsQuantityUnit = (typeof CS_QUANTITY_UNITS)[number];

export const CONTAINER_KINDS = ['vial', 'kit'] as const;
export type ContainerKind = (typeof CONTAINER_KINDS)[number];

export const PRODUCT_FORMS = ['injection', 'nasal_spray'] as const;
export type ProductForm = (typeof PRODUCT_FORMS)[number];

export const RECEIPT_STATUSES = ['awaiting-count', 'received'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export const DISCREPANCY_KINDS = ['receipt-count', 'count-variance'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export const DISCREPANCY_STATUSES = ['open', 'resolved'] as const;
export type DiscrepancyStatus = (typeof DISCREPANCY_STATUSES)[number];

export const LOSS_KINDS = ['theft', 'loss'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

export const LOSS_STATUSES = ['open', 'notified', 'filed'] as const;
export type LossStatus = (typeof LOSS_STATUSES)[number];

/** How stock leaves the registrant other than by administration: destroyed on site (DEA Form 41), or handed to a reverse distributor. */
export const DISPOSAL_KINDS = ['destruction', 'transfer'] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];
