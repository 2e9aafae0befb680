export { Appointment, Chair, TreatmentSeries, type AppointmentStatus } from './scheduling.entity.js';
export { appointmentView, type AppointmentView } from './appointment-view.js';
export { AppointmentsService, MAX_APPOINTMENT_RANGE_DAYS, type NewAppointment } from './appointments.service.js';
export { AppointmentRemindersService } from './appointment-reminders.service.js';
export { ChairsService, chairView, type ChairView } from './chairs.service.js';
export { DayScheduleService, type DaySchedule } from './day-schedule.service.js';
export { MaintenanceService } from './maintenance.service.js';
export { TreatmentSeriesService, type SeriesProgress } from './series.service.js';
export { SchedulingReactions } from './session-reactions.js';
