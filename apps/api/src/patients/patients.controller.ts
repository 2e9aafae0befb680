import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DosingService, PatientCareService, PatientsService, ScreeningService, WeightsService } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { IdParam, PageQuery } from '../http/dto.js';
import { DischargeFromCareDto, DischargeFromCareResultDto, ReadmitDto } from './care.dto.js';
import {
  AcknowledgeCautionsDto,
  CreatePatientDto,
  CreateWeightDto,
  DoseCalculationDto,
  DoseCalculationQuery,
  PatientDto,
  PatientPageDto,
  RecordScreeningDto,
  RegisteredPatientDto,
  ScreeningDto,
  SearchPatientsQuery,
  UpdatePatientDto,
  WeightDto,
  WeightPageDto,
} from './patients.dto.js';

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientsService,
    private readonly screening: ScreeningService,
    private readonly dosing: DosingService,
    private readonly care: PatientCareService,
    private readonly weightHistory: WeightsService,
  ) {}

  @Post(':id/discharge-from-care')
  @HttpCode(200)
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({
    type: DischargeFromCareResultDto,
    description: 'ends treatment: maintenance stops, proposals are cancelled, future appointments are flagged, new bookings refused',
  })
  dischargeFromCare(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Body() b: DischargeFromCareDto,
  ): Promise<DischargeFromCareResultDto> {
    return this.care.dischargeFromCare(actor, p.id, b.reason);
  }

  @Post(':id/readmit')
  @HttpCode(200)
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: PatientDto, description: 'takes a patient discharged from care back into treatment (409 if in care); audited' })
  readmit(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ReadmitDto): Promise<PatientDto> {
    return this.care.readmit(actor, p.id, b.reason);
  }

  @Post()
  @AnyRole()
  @FieldChecks(
    PatientsService,
    (s, r: CheckedBody<CreatePatientDto>) =>
      s.registrationProblems(r.actor, { ...r.body, weightMeasuredAt: date(r.body.weightMeasuredAt) }),
    { contactPreference: ['email', 'phone'] },
  )
  @ApiCreatedResponse({
    type: RegisteredPatientDto,
    description: '`warnings` names other patients with the same names and birth date (registered all the same)',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreatePatientDto): Promise<RegisteredPatientDto> {
    const { weightMeasuredAt, ...rest } = body;
    return this.patients.register(actor, { ...rest, weightMeasuredAt: date(weightMeasuredAt) });
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: PatientPageDto })
  search(@CurrentActor() actor: Actor, @Query() query: SearchPatientsQuery): Promise<PatientPageDto> {
    return this.patients.search(actor, query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: PatientDto })
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<PatientDto> {
    return this.patients.get(actor, params.id);
  }

  @Patch(':id')
  @AnyRole()
  @FieldChecks(PatientsService, (s, r: CheckedBody<UpdatePatientDto>) => s.changeProblems(r.actor, r.params.id, r.body), {
    contactPreference: ['email', 'phone'],
  })
  @ApiOkResponse({ type: PatientDto })
  update(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: UpdatePatientDto): Promise<PatientDto> {
    return this.patients.update(actor, params.id, body);
  }

  @Post(':id/weights')
  @Roles('nurse', 'anesthesiologist')
  @FieldChecks(WeightsService, (s, r: CheckedBody<CreateWeightDto>) => s.problems({ ...r.body, measuredAt: date(r.body.measuredAt) }))
  @ApiCreatedResponse({ type: WeightDto })
  addWeight(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CreateWeightDto): Promise<WeightDto> {
    return this.weightHistory.add(actor, params.id, { value: body.value, unit: body.unit, measuredAt: date(body.measuredAt) });
  }

  @Get(':id/weights')
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: WeightPageDto, description: 'newest measurement first' })
  weights(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: PageQuery): Promise<WeightPageDto> {
    return this.weightHistory.history(actor, params.id, query);
  }

  @Get(':id/contraindications')
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: ScreeningDto })
  getScreening(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ScreeningDto> {
    return this.screening.get(actor, params.id);
  }

  @Put(':id/contraindications')
  @Roles('nurse', 'anesthesiologist')
  @FieldChecks(ScreeningService, (s, r: CheckedBody<RecordScreeningDto>) => s.problems(r.body))
  @ApiOkResponse({ type: ScreeningDto })
  recordScreening(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: RecordScreeningDto): Promise<ScreeningDto> {
    return this.screening.record(actor, params.id, body);
  }

  @Post(':id/contraindications/acknowledge')
  @HttpCode(200)
  @Roles('anesthesiologist')
  @ApiOkResponse({ type: ScreeningDto })
  acknowledge(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: AcknowledgeCautionsDto): Promise<ScreeningDto> {
    return this.screening.acknowledge(actor, params.id, body.note);
  }

  @Get(':id/dose-calculation')
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: DoseCalculationDto })
  doseCalculation(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Query() query: DoseCalculationQuery,
  ): Promise<DoseCalculationDto> {
    return this.dosing.calculate(actor, params.id, {
      protocol: query.protocol,
      mgPerKg: query.mgPerKg,
      doseMg: query.doseMg,
      concentrationMgPerMl: query.concentrationMgPerMl,
      overrides: query.override
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }
}
