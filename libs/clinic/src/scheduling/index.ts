export {
  Appointment,
  APPOINTMENT_STATUSES,
  BOOKING_STATUSES,
  SERIES_STATUSES,
  TreatmentSeries,
  type AppointmentStatus,
  type SeriesStatus,
} from './scheduling.entity.js';
export { appointmentView } from './appointment-view.js';
export { AppointmentsService, MAX_APPOINTMENT_RANGE_DAYS } from './appointments.service.js';
export { ClinicProfileService, type ClinicProfile, type ClinicProfileChanges } from './clinic-profile.service.js';
export { ChairRetirementGuard } from './chair-retirement.js';
export { DayScheduleService, type DaySchedule } from './day-schedule.service.js';
export { TreatmentSeriesService } from './series.service.js';
export { ClinicClosure } from './closure.entity.js';
export { ClosuresService, type ClosureView } from './closures.service.js';
