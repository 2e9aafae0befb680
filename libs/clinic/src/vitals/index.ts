export { CRISIS_SYMPTOMS, READINGS_PAGE, VitalsService, type CrisisSymptom } from './vitals.service.js';
export { MAX_READINGS_PER_BATCH, VitalsIngestService, type RecordResult } from './ingest.service.js';
export { VitalsOverdueService } from './vitals-overdue.service.js';
export { readingEveryMin } from './vitals-overdue.js';
export { PLAUSIBLE } from './plausibility.js';
export type { Breach, Measure } from './evaluate.js';
export type { MonitorFeed, NewReading, ReadingView, Recorder } from './reading.js';
export { VitalReading } from './vital-reading.entity.js';
