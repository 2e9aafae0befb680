import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, DomainError, TransactionRunner, type Actor } from '#platform';
import { FIELD_UNITS, type DeviceField } from '../hl7/index.js';
import { Hl7GatewaysService } from './gateways.service.js';

export interface CodeMapView {
  id: string;
  /** null: one of Vigil's defaults (every gateway). */
  gatewayId: string | null;
  system: string;
  code: string;
  refid: string | null;
  field: DeviceField | null;
  unit: string | null;
  priority: number;
  source: string;
  /** A default this gateway's own row replaces. */
  overridden: boolean;
}

export interface UnitMapView {
  id: string;
  gatewayId: string | null;
  unit: string;
  toUnit: string;
  factor: number;
  addend: number;
  source: string;
  overridden: boolean;
}

export interface CodeMapInput {
  system: string;
  code: string;
  refid?: string | null;
  field: DeviceField | null;
  priority?: number;
  reason: string;
}

export interface UnitMapInput {
  unit: string;
  toUnit: string;
  factor?: number;
  addend?: number;
  reason: string;
}

/** The units Vigil stores its fields in: a unit mapping converts to one of them. */
export const STORED_UNITS = [...new Set(Object.values(FIELD_UNITS))];

const CODE_COLUMNS = `id, gateway_id AS "gatewayId", system, code, refid, field, unit, priority, source`;
const UNIT_COLUMNS = `id, gateway_id AS "gatewayId", unit, to_unit AS "toUnit", factor, addend, source`;

/**
 * A gateway's own code and unit mappings (administrators, audited): the feed reads that gateway's
 * messages with its rows before Vigil's defaults, so a vendor's private code (Philips
 * `0002-4a05^NBPs^MDIL`) charts once its row says which field it fills; its unit goes through the
 * unit mappings to the field's unit. Removing a row brings the default (or "unknown, kept raw") back.
 */
@Injectable()
export class GatewayMapsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly gateways: Hl7GatewaysService,
  ) {}

  /** The gateway's rows, then the defaults (each marked when the gateway's row replaces it). */
  async codeMaps(actor: Actor, gatewayId: string): Promise<CodeMapView[]> {
    return this.transactions.run(async (tx) => {
      await this.gateways.find(tx.manager, actor, gatewayId);
      const rows = await tx.manager.query<Array<Omit<CodeMapView, 'overridden'>>>(
        `SELECT ${CODE_COLUMNS} FROM device_code_maps WHERE gateway_id IS NULL OR gateway_id = $1 ORDER BY gateway_id IS NULL, system, code`,
        [gatewayId],
      );
      const own = new Set(rows.filter((r) => r.gatewayId).map((r) => `${r.system} ${r.code}`));
      return rows.map((r) => ({ ...r, overridden: !r.gatewayId && own.has(`${r.system} ${r.code}`) }));
    });
  }

  async unitMaps(actor: Actor, gatewayId: string): Promise<UnitMapView[]> {
    return this.transactions.run(async (tx) => {
      await this.gateways.find(tx.manager, actor, gatewayId);
      const rows = await tx.manager.query<Array<Omit<UnitMapView, 'overridden'>>>(
        `SELECT ${UNIT_COLUMNS} FROM device_unit_maps WHERE gateway_id IS NULL OR gateway_id = $1 ORDER BY gateway_id IS NULL, to_unit, unit`,
        [gatewayId],
      );
      const own = new Set(rows.filter((r) => r.gatewayId).map((r) => `${r.unit} ${r.toUnit}`));
      return rows.map((r) => ({ ...unitNumbers(r), overridden: !r.gatewayId && own.has(`${r.unit} ${r.toUnit}`) }));
    });
  }

  /** Adds the gateway's mapping of a code, or replaces its own one for that code; audited with before and after. */
  async setCodeMap(actor: Actor, gatewayId: string, input: CodeMapInput): Promise<CodeMapView> {
    const system = input.system.trim().toUpperCase();
    const code = input.code.trim();
    const row = {
      system,
      code,
      refid: input.refid?.trim() || null,
      field: input.field,
      unit: input.field ? FIELD_UNITS[input.field] : null,
    };
    return this.transactions.run(async (tx) => {
      await this.gateways.claim(tx.manager, actor, gatewayId);
      const [before] = await tx.manager.query<CodeMapView[]>(
        `SELECT ${CODE_COLUMNS} FROM device_code_maps WHERE gateway_id = $1 AND system = $2 AND code = $3`,
        [gatewayId, system, code],
      );
      const [after] = await tx.manager.query<CodeMapView[]>(
        `INSERT INTO device_code_maps (gateway_id, system, code, refid, field, unit, priority, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (gateway_id, system, code) WHERE gateway_id IS NOT NULL
         DO UPDATE SET refid = EXCLUDED.refid, field = EXCLUDED.field, unit = EXCLUDED.unit, priority = EXCLUDED.priority, source = EXCLUDED.source
         RETURNING ${CODE_COLUMNS}`,
        [gatewayId, system, code, row.refid, row.field, row.unit, input.priority ?? 10, sourceOf(input.reason)],
      );
      await this.record(tx.manager, 'monitor.gateway.code-map.set', gatewayId, { before: before ?? null, after, reason: input.reason });
      return { ...after, overridden: false };
    });
  }

  async setUnitMap(actor: Actor, gatewayId: string, input: UnitMapInput): Promise<UnitMapView> {
    if (!STORED_UNITS.includes(input.toUnit))
      throw DomainError.validation([{ field: 'toUnit', message: `must be a unit Vigil stores a field in: ${STORED_UNITS.join(', ')}` }]);
    const unit = input.unit.trim();
    return this.transactions.run(async (tx) => {
      await this.gateways.claim(tx.manager, actor, gatewayId);
      const [before] = await tx.manager.query<UnitMapView[]>(
        `SELECT ${UNIT_COLUMNS} FROM device_unit_maps WHERE gateway_id = $1 AND unit = $2 AND to_unit = $3`,
        [gatewayId, unit, input.toUnit],
      );
      const [after] = await tx.manager.query<UnitMapView[]>(
        `INSERT INTO device_unit_maps (gateway_id, unit, to_unit, factor, addend, source) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (gateway_id, unit, to_unit) WHERE gateway_id IS NOT NULL
         DO UPDATE SET factor = EXCLUDED.factor, addend = EXCLUDED.addend, source = EXCLUDED.source
         RETURNING ${UNIT_COLUMNS}`,
        [gatewayId, unit, input.toUnit, input.factor ?? 1, input.addend ?? 0, sourceOf(input.reason)],
      );
      await this.record(tx.manager, 'monitor.gateway.unit-map.set', gatewayId, {
        before: before ? unitNumbers(before) : null,
        after: unitNumbers(after),
        reason: input.reason,
      });
      return { ...unitNumbers(after), overridden: false };
    });
  }

  /** Removes one of the gateway's own rows (404 for a default or another gateway's); audited with what it said. */
  async removeMap(actor: Actor, gatewayId: string, kind: 'code' | 'unit', mapId: string): Promise<void> {
    const table = kind === 'code' ? 'device_code_maps' : 'device_unit_maps';
    await this.transactions.run(async (tx) => {
      await this.gateways.claim(tx.manager, actor, gatewayId);
      const [rows] = await tx.manager.query<[Array<Record<string, unknown>>, number]>(
        `DELETE FROM ${table} WHERE id = $1 AND gateway_id = $2 RETURNING ${kind === 'code' ? CODE_COLUMNS : UNIT_COLUMNS}`,
        [mapId, gatewayId],
      );
      if (!rows[0]) throw DomainError.notFound(kind === 'code' ? 'Code mapping' : 'Unit mapping');
      await this.record(tx.manager, `monitor.gateway.${kind}-map.remove`, gatewayId, { removed: rows[0] });
    });
  }

  private record(m: EntityManager, action: string, gatewayId: string, changes: Record<string, unknown>): Promise<void> {
    return this.audit.record(m, { action, resourceType: 'hl7-gateway', resourceId: gatewayId, changes });
  }
}

const sourceOf = (reason: string) => `set by the clinic: ${reason.trim()}`;
/** double precision comes back as a number already; numeric text would not: one shape either way. */
const unitNumbers = <T extends { factor: number | string; addend: number | string }>(r: T): T => ({
  ...r,
  factor: Number(r.factor),
  addend: Number(r.addend),
});
