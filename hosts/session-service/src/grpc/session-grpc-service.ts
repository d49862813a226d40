import { SESSION_SERVICE, toTimestamp, type ServiceRegistration, type Timestamp, type UnaryHandler } from '@conference/adapters-grpc';
import { DomainError, err, isUuid, ok, type UnitOfWork } from '@conference/kernel';
import {
  GetSessionsByIds,
  SessionErrorCodes,
  ValidateSession,
  sessionNotFound,
  type Session,
  type SessionScope,
  type SessionSummary,
} from '@conference/session';
import { UnitOfWorkSessionQueries } from '@conference/session/testing';

/** conference.session.v1 messages as proto-loader hands them over (camelCase; see PROTO_LOADER_OPTIONS). */
export interface SessionIdRequest {
  readonly sessionId: string;
}

export interface SessionSummaryMessage {
  readonly id: string;
  /** Absent for a stand-alone session (proto3 `optional`). */
  readonly eventId?: string;
  readonly title: string;
  readonly startsAt: Timestamp;
  readonly endsAt: Timestamp;
  readonly room: string;
  readonly speakerIds: string[];
  readonly version: number;
}

export interface SessionMessage extends SessionSummaryMessage {
  readonly ownerId: string;
  readonly abstract: string;
  readonly createdAt: Timestamp;
  readonly updatedAt: Timestamp;
}

export const toSummaryMessage = (summary: SessionSummary): SessionSummaryMessage => ({
  id: summary.id,
  ...(summary.eventId === null ? {} : { eventId: summary.eventId }),
  title: summary.title,
  startsAt: toTimestamp(summary.startsAt),
  endsAt: toTimestamp(summary.endsAt),
  room: summary.room,
  speakerIds: [...summary.speakerIds],
  version: summary.version,
});

export const toSessionMessage = (session: Session): SessionMessage => ({
  id: session.id,
  ...(session.eventId === null ? {} : { eventId: session.eventId }),
  ownerId: session.ownerId,
  title: session.title,
  abstract: session.abstract,
  startsAt: toTimestamp(session.startsAt),
  endsAt: toTimestamp(session.endsAt),
  room: session.room,
  speakerIds: [...session.speakerIds],
  createdAt: toTimestamp(session.createdAt),
  updatedAt: toTimestamp(session.updatedAt),
  version: session.version,
});

/** What the handlers call; the container builds them with the service's unit of work. */
export interface SessionGrpcUseCases {
  readonly validateSession: ValidateSession;
  readonly getSessionsByIds: GetSessionsByIds;
}

/**
 * GetSession reads through GetSessionsByIds rather than GetSession: the use case behind REST also
 * asks the speaker service for summaries, and a gRPC read of our own data should neither wait on
 * nor fail with another peer (callers that want speakers ask SpeakerService themselves).
 * A malformed id is INVALID_ARGUMENT (SESSION.INVALID_ID), as in ValidateSession, so a caller can
 * tell its own bug from a session that is gone.
 */
export function sessionGrpcService(useCases: SessionGrpcUseCases): ServiceRegistration {
  const validateSession: UnaryHandler<SessionIdRequest, { session: SessionSummaryMessage }> = async (request) => {
    const result = await useCases.validateSession.execute({ sessionId: request.sessionId });
    return result.ok ? ok({ session: toSummaryMessage(result.value) }) : result;
  };

  const getSession: UnaryHandler<SessionIdRequest, { session: SessionMessage }> = async (request) => {
    const id = request.sessionId.trim();
    if (!isUuid(id)) {
      return err(DomainError.validation(SessionErrorCodes.invalidId, `${JSON.stringify(request.sessionId)} is not a session id`, [{ path: 'sessionId', message: 'must be a UUID' }]));
    }
    const result = await useCases.getSessionsByIds.execute({ ids: [id] });
    if (!result.ok) return result;
    const [session] = result.value;
    return session ? ok({ session: toSessionMessage(session) }) : err(sessionNotFound(id));
  };

  return { name: SESSION_SERVICE, handlers: { ValidateSession: validateSession, GetSession: getSession } };
}

/** The registration over a unit of work (one per read), with the use cases built here: for compositions without a pool (tests). */
export const sessionGrpcServiceFor = (uow: UnitOfWork<SessionScope>): ServiceRegistration => {
  const queries = new UnitOfWorkSessionQueries(uow);
  return sessionGrpcService({ validateSession: new ValidateSession(queries), getSessionsByIds: new GetSessionsByIds(queries) });
};
