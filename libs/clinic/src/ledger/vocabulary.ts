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

/** 21 CFR 1304.11: the initial inventory, one at least every two years after it, and any other the clinic takes. */
export const INVENTORY_KINDS = ['initial', 'biennial', 'ad-hoc'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

/** 1304.11(a): an inventory says whether it was taken at the opening or the close of business. */
export const INVENTORY_TIMES = ['opening', 'close'] as const;
export type InventoryTime = (typeof INVENTORY_TIMES)[number];

/** How a container was inventoried: counted exactly (sealed, or devices), or an estimated measure of an opened vial (1304.11(e)(3)). */
export const INVENTORY_METHODS = ['counted', 'estimated'] as const;
export type InventoryMethod = (typeof INVENTORY_METHODS)[number];

/** What the ledger reminds the clinic of, by a row the durable queue fires. */
export const REMINDER_KINDS = ['inventory-due', 'inventory-overdue', 'registration-renewal', 'registration-lapsed'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
