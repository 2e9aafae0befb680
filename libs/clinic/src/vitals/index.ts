export { CRISIS_SYMPTOMS, READINGS_PAGE, VitalsService, type CrisisSymptom } from './vitals.service.js';
export { MAX_READINGS_PER_BATCH, VitalsIngestService, type RecordResult } from './ingest.service.js';
export { VitalsOverdueService } from './vitals-overdue.service.js';
export { readingEveryMin } from './vitals-overdue.js';
export { PLAUSIBLE } from './plausibility.js';
export { BREACH_LEVELS, BREACH_RULES, MEASURES, type Breach, type BreachLevel, type Measure } from './evaluate.js';
export type { MonitorFeed, NewReading, ReadingView, Recorder } from './reading.js';
export { READING_SOURCES, VitalReading, type ReadingSource } from './vital-reading.entity.js';
