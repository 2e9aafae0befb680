import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  ClinicEventBus,
  LedgerCustodyService,
  LedgerDisposalsService,
  LedgerLossesService,
  LedgerReceiptsService,
  LedgerRegistryService,
  LedgerReportsService,
  LedgerWasteCountService,
} from '../libs/clinic/src/index.js';
import { DomainError, requestContext, TransactionRunner, type Actor } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, PASSWORD, type Staff } from './support/factories.js';
import { dayFrom, product, randomDeaNumber, SUPPLIER_DEA, type Product } from './support/ledger.js';

/*
 * For any sequence of receipts, draws for a session, spills, blind counts, resolutions (with or
 * without a correction), losses, destructions and transfers to a reverse distributor, run against
 * the real services and database: every accepted operation moves
 * the container's balance exactly as a plain model of the ledger says, every refused one is refused
 * with the code the model predicts and moves nothing, no balance is ever below zero, each container's
 * balance is the sum of its events, and the on-hand report equals the model, to the mL and the device.
 */

type Op =
  | { kind: 'receipt'; product: number; containers: number }
  | { kind: 'administer'; container: number; dose: number }
  | { kind: 'waste'; container: number; quantity: number }
  | { kind: 'count'; container: number; offset: number }
  | { kind: 'resolve'; discrepancy: number; correct: boolean }
  | { kind: 'loss'; container: number; quantity: number }
  | { kind: 'dispose'; container: number; transfer: boolean };

const RECEIPT = fc.record({ kind: fc.constant('receipt' as const), product: fc.nat(2), containers: fc.integer({ min: 1, max: 3 }) });
const OPS: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: RECEIPT },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('administer' as const), container: fc.nat(20), dose: fc.nat(4) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('waste' as const), container: fc.nat(20), quantity: fc.constantFrom(0.1, 1, 2.5, 11, 1, 2) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('count' as const), container: fc.nat(20), offset: fc.constantFrom(0, 0, -1, 0.5, -0.001) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), discrepancy: fc.nat(10), correct: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('loss' as const), container: fc.nat(20), quantity: fc.constantFrom(0.5, 1, 3, 12) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispose' as const), container: fc.nat(20), transfer: fc.boolean() }) },
);
/** A sequence begins with a receipt (there is nothing to do before one). */
const SEQUENCES = fc.tuple(RECEIPT, fc.array(OPS, { minLength: 1, maxLength: 20 })).map(([first, rest]): Op[] => [first, ...rest]);

/** Doses a session may draw, by unit: mg from a 50 mg/mL vial; 28 mg devices from a kit. */
const DOSES = { mL: [10, 35, 75, 200, 510], device: [28, 56, 84, 28, 56] };

interface ModelContainer {
  id: string;
  lot: string;
  unit: 'mL' | 'device';
  mgPerUnit: number;
  substance: 'ketamine' | 'esketamine';
  balance: number;
  /** destroyed or transferred: closed out */
  closed: boolean;
}

interface ModelDiscrepancy {
  id: string;
  container: ModelContainer;
  delta: number;
  open: boolean;
}

const q3 = (x: number) => Math.round(x * 1000) / 1000;

describe('controlled-substance ledger: any sequence of operations keeps the books', () => {
  let t: TestApp;
  let a: Staff;
  let products: Product[];
  let session: { id: string; patientId: string };
  let nurse: Actor;
  let doc: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    products = await Promise.all([
      product(t.http, a, { mgPerMl: 50 }),
      product(t.http, a, { devices: 3 }),
      product(t.http, a, { devices: 2 }),
    ]);
    const patient = await createPatient(t.http, a.token.nurse, { address: '12 Harbor St, Boston MA 02110' });
    const s = await t.http
      .post('/api/v1/sessions')
      .set(bearer(a.token.nurse))
      .send({ patientId: patient.id, protocol: 'ketamine-iv-standard' });
    session = { id: s.body.id, patientId: patient.id };
    nurse = { userId: a.nurse.id, clinicId: a.clinic.id, role: 'nurse' };
    doc = { userId: a.anesthesiologist.id, clinicId: a.clinic.id, role: 'anesthesiologist' };
  });
  afterAll(() => t.close());

  const as = <T>(actor: Actor, work: () => Promise<T>) => requestContext.run({ requestId: randomUUID(), actor, interactive: false }, work);
  /** The refusal's code, or null when the operation was accepted. */
  const outcome = async (work: () => Promise<unknown>): Promise<string | null> => {
    try {
      await work();
      return null;
    } catch (err) {
      if (err instanceof DomainError && err.status === 422) return err.code;
      throw err;
    }
  };

  it('balances follow the model, never go below zero, equal the sum of their events and the on-hand report', async () => {
    const receipts = t.app.get(LedgerReceiptsService);
    const registry = t.app.get(LedgerRegistryService);
    const reports = t.app.get(LedgerReportsService);
    const wasteCount = t.app.get(LedgerWasteCountService);
    const custody = t.app.get(LedgerCustodyService);
    const disposals = t.app.get(LedgerDisposalsService);
    const losses = t.app.get(LedgerLossesService);
    const employees = [
      { userId: a.nurse.id, password: PASSWORD },
      { userId: a.admin.id, password: PASSWORD },
    ];
    const bus = t.app.get(ClinicEventBus);
    const transactions = t.app.get(TransactionRunner);
    const witness = { userId: a.anesthesiologist.id, password: PASSWORD };

    await fc.assert(
      fc.asyncProperty(SEQUENCES, async (ops) => {
        // Each sequence keeps the books of a registration of its own.
        const reg = await as(doc, () =>
          registry.register(doc, {
            deaNumber: randomDeaNumber(),
            registrantName: 'Property',
            address: '1 Main St',
            schedules: ['3N'],
            expiresOn: dayFrom(700),
          }),
        );
        const containers: ModelContainer[] = [];
        const discrepancies: ModelDiscrepancy[] = [];
        const pick = (n: number) => containers[n % containers.length];

        for (const op of ops) {
          if (op.kind === 'receipt') {
            const p = products[op.product];
            const lot = `P${randomUUID().slice(0, 8)}`;
            const r = await as(doc, () =>
              receipts.enter(doc, {
                registrationId: reg.id,
                productId: p.id,
                ndc: p.ndc ?? '0409-2051-05',
                lot,
                expiresOn: dayFrom(365),
                supplierName: 'Supplier',
                supplierAddress: '2 Dock Rd',
                supplierDeaNumber: SUPPLIER_DEA,
                invoiceNumber: lot,
                containersInvoiced: op.containers,
              }),
            );
            const counted = await as(doc, () => receipts.count(doc, r.id, { containersCounted: op.containers }));
            for (const c of counted.containers)
              containers.push({
                id: c.id,
                lot,
                unit: p.unit,
                mgPerUnit: p.unit === 'mL' ? p.strengthMgPerMl! : 28,
                substance: p.unit === 'mL' ? 'ketamine' : 'esketamine',
                balance: p.unitsPerContainer,
                closed: false,
              });
            continue;
          }
          if (op.kind === 'resolve') {
            const open = discrepancies.filter((d) => d.open);
            if (!open.length) continue;
            const d = open[op.discrepancy % open.length];
            const expected = !op.correct ? null : d.container.balance + d.delta < -1e-9 ? 'CS_BALANCE_NEGATIVE' : null;
            const got = await outcome(() =>
              as(doc, () => custody.resolve(doc, d.id, { resolution: 'recounted by the property test', correctBalance: op.correct })),
            );
            expect({ op, got }).toEqual({ op, got: expected });
            if (got === null) {
              d.open = false;
              if (op.correct) d.container.balance = q3(d.container.balance + d.delta);
            }
            continue;
          }
          if (!containers.length) continue;
          const c = pick(op.container);
          if (op.kind === 'count') {
            const counted = Math.max(0, q3(c.balance + op.offset));
            if (c.closed) {
              const got = await outcome(() =>
                as(nurse, () => wasteCount.count(nurse, { containerId: c.id, unit: c.unit, counted, witness })),
              );
              expect({ op, got }).toEqual({ op, got: 'CS_CONTAINER_CLOSED' });
              continue;
            }
            const result = await as(nurse, () => wasteCount.count(nurse, { containerId: c.id, unit: c.unit, counted, witness }));
            expect({ expected: result.expected, variance: result.variance }).toEqual({
              expected: c.balance,
              variance: q3(counted - c.balance),
            });
            if (result.discrepancyId)
              discrepancies.push({ id: result.discrepancyId, container: c, delta: q3(counted - c.balance), open: true });
            continue;
          }
          if (op.kind === 'loss') {
            const quantity = c.unit === 'device' ? Math.ceil(op.quantity) : op.quantity;
            const got = await outcome(() =>
              as(doc, () =>
                losses.report(doc, {
                  kind: 'loss',
                  discoveredAt: new Date(),
                  narrative: 'found short by the property test',
                  containerId: c.id,
                  quantity,
                  unit: c.unit,
                }),
              ),
            );
            expect({ op, got }).toEqual({ op, got: quantity > c.balance + 1e-9 ? 'CS_BALANCE_NEGATIVE' : null });
            if (got === null) c.balance = q3(c.balance - quantity);
            continue;
          }
          if (op.kind === 'dispose') {
            const disputed = discrepancies.some((d) => d.open && d.container === c);
            const expected = c.closed
              ? 'CS_CONTAINER_CLOSED'
              : c.balance <= 0
                ? 'CS_CONTAINER_EMPTY'
                : disputed
                  ? 'CS_DISCREPANCY_OPEN'
                  : null;
            const base = { containerIds: [c.id], reason: 'expired', witnesses: employees };
            const got = await outcome(() =>
              as(doc, () =>
                op.transfer
                  ? disposals.transfer(doc, {
                      ...base,
                      distributorName: 'Returns Inc.',
                      distributorAddress: '5 Dock Rd',
                      distributorDeaNumber: SUPPLIER_DEA,
                    })
                  : disposals.destroy(doc, { ...base, method: 'denaturing kit', location: 'medication room' }),
              ),
            );
            expect({ op, got }).toEqual({ op, got: expected });
            if (got === null) Object.assign(c, { balance: 0, closed: true });
            continue;
          }
          const quantity =
            op.kind === 'waste' ? (c.unit === 'device' ? Math.ceil(op.quantity) : op.quantity) : DOSES[c.unit][op.dose] / c.mgPerUnit;
          const expected = c.closed
            ? 'CS_CONTAINER_CLOSED'
            : c.balance <= 0
              ? 'CS_CONTAINER_EMPTY'
              : quantity > c.balance + 1e-9
                ? 'CS_BALANCE_NEGATIVE'
                : null;
          const got = await outcome(() =>
            op.kind === 'waste'
              ? as(nurse, () => wasteCount.waste(nurse, { containerId: c.id, unit: c.unit, quantity, reason: 'spilled', witness }))
              : as(nurse, () =>
                  transactions.run((tx) =>
                    bus.publish(tx, 'ControlledDoseDrawn', {
                      clinicId: a.clinic.id,
                      actor: nurse,
                      at: new Date(),
                      sessionId: session.id,
                      patientId: session.patientId,
                      containerId: c.id,
                      typedLot: null,
                      substance: c.substance,
                      doseMg: DOSES[c.unit][op.dose],
                    }),
                  ),
                ),
          );
          expect({ op, got }).toEqual({ op, got: expected });
          if (got === null) c.balance = q3(c.balance - quantity);
        }
        await checkBooks(containers, reg.id);
      }),
      { numRuns: Number(process.env['VIGIL_PROPERTY_RUNS'] ?? 25), endOnFailure: true },
    );

    async function checkBooks(containers: ModelContainer[], registrationId: string): Promise<void> {
      if (!containers.length) return;
      const rows = await t.runtime.dataSource.query<Array<{ id: string; balance: number; sum: number; lowest: number; last: number }>>(
        `SELECT c.id, c.balance::float AS balance, sum(e.delta)::float AS sum, min(e.balance_after)::float AS lowest,
                (array_agg(e.balance_after ORDER BY e.recorded_at DESC, e.id))[1]::float AS last
           FROM cs_containers c JOIN cs_events e ON e.container_id = c.id WHERE c.id = ANY($1) GROUP BY c.id`,
        [containers.map((c) => c.id)],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const c of containers) {
        const r = byId.get(c.id)!;
        expect({ id: c.id, balance: r.balance, sum: q3(r.sum), last: r.last }).toEqual({
          id: c.id,
          balance: c.balance,
          sum: c.balance,
          last: c.balance,
        });
        expect(r.lowest).toBeGreaterThanOrEqual(0);
      }
      const report = await reports.onHand(doc, registrationId);
      const lots = new Map<string, number>();
      for (const c of containers) if (c.balance > 0) lots.set(c.lot, q3((lots.get(c.lot) ?? 0) + c.balance));
      expect(new Map(report.lines.map((l) => [l.lot, l.quantity]))).toEqual(lots);
      const sum = (s: string, f: (c: ModelContainer) => number) =>
        q3(containers.filter((c) => c.substance === s).reduce((x, c) => x + f(c), 0));
      expect(report.totals).toEqual({
        ketamineMg: sum('ketamine', (c) => c.balance * c.mgPerUnit),
        esketamineDevices: sum('esketamine', (c) => c.balance),
      });
    }
  }, 600_000);
});
