import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConsentFormsService, ConsentSignaturesService } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, optionalDate, PageQuery } from '../http/dto.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { Idempotent } from '../http/idempotency.interceptor.js';
import {
  ConsentDto,
  ConsentPageDto,
  ConsentFormDto,
  ConsentFormPageDto,
  ConsentFormQuery,
  ConsentParams,
  CreateConsentFormDto,
  RecordConsentDto,
  RetireConsentFormDto,
  UpdateConsentFormDto,
  WithdrawConsentDto,
} from './consent.dto.js';

@ApiTags('consent')
@ApiBearerAuth()
@Controller('consent-forms')
export class ConsentFormsController {
  constructor(private readonly forms: ConsentFormsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: ConsentFormDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateConsentFormDto): Promise<ConsentFormDto> {
    return this.forms.create(actor, body);
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: ConsentFormPageDto, description: 'by kind, newest version first' })
  list(@CurrentActor() actor: Actor, @Query() query: ConsentFormQuery): Promise<ConsentFormPageDto> {
    return this.forms.list(actor, query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: ConsentFormDto })
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ConsentFormDto> {
    return this.forms.get(actor, params.id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({
    type: ConsentFormDto,
    description: 'drafts only, with the revision read (409 STALE_VERSION); a published version answers 409 FORM_PUBLISHED',
  })
  edit(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: UpdateConsentFormDto): Promise<ConsentFormDto> {
    return this.forms.editDraft(actor, params.id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: ConsentFormDto })
  publish(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ConsentFormDto> {
    return this.forms.publish(actor, params.id);
  }

  /** No one signs this published version any more; the signatures on it keep their status. 409 FORM_RETIRED when it already is. */
  @Post(':id/retire')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: ConsentFormDto })
  retire(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: RetireConsentFormDto): Promise<ConsentFormDto> {
    return this.forms.retire(actor, params.id, body.reason);
  }
}

@ApiTags('consent')
@ApiBearerAuth()
@Controller('patients/:id/consents')
export class PatientConsentsController {
  constructor(private readonly signatures: ConsentSignaturesService) {}

  @Post()
  @Idempotent()
  @Roles('nurse', 'anesthesiologist')
  @FieldChecks(ConsentSignaturesService, (s, r: CheckedBody<RecordConsentDto>) =>
    s.problems({ signedAt: optionalDate(r.body.signedAt), prescriberSignedAt: optionalDate(r.body.prescriberSignedAt) }),
  )
  @ApiCreatedResponse({ type: ConsentDto, description: 'Idempotency-Key honoured' })
  record(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: RecordConsentDto): Promise<ConsentDto> {
    return this.signatures.record(actor, params.id, {
      formId: body.formId,
      signedAt: new Date(body.signedAt),
      signedByName: body.signedByName,
      method: body.method,
      witnessUserId: body.witnessUserId,
      prescriberUserId: body.prescriberUserId,
      prescriberSignedAt: body.prescriberSignedAt === undefined ? undefined : new Date(body.prescriberSignedAt),
    });
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: ConsentPageDto, description: 'newest signature first' })
  list(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: PageQuery): Promise<ConsentPageDto> {
    return this.signatures.list(actor, params.id, query);
  }

  @Post(':consentId/withdraw')
  @HttpCode(200)
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: ConsentDto })
  withdraw(@CurrentActor() actor: Actor, @Param() params: ConsentParams, @Body() body: WithdrawConsentDto): Promise<ConsentDto> {
    return this.signatures.withdraw(actor, params.id, params.consentId, body.reason);
  }
}
