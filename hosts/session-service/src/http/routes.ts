import type { Container } from 'inversify';
import type { RestApi } from '@conference/http-kit';
import { AddSpeaker, CreateSession, DeleteSession, GetSession, ListSessions, RemoveSpeaker, UpdateSession } from '@conference/session';
import { registerSessionSpeakerRoutes, type SessionSpeakerRoutesUseCases } from './session-speakers.js';
import { registerSessionRoutes, type SessionRoutesUseCases } from './sessions.js';

export type SessionHttpUseCases = SessionRoutesUseCases & SessionSpeakerRoutesUseCases;

/** Every route of /api/sessions (DESIGN §3), registered on `api` so the router and the OpenAPI document come from the same calls. */
export function registerRoutes(api: RestApi, useCases: SessionHttpUseCases): void {
  registerSessionRoutes(api, useCases);
  registerSessionSpeakerRoutes(api, useCases);
}

/** The use cases the routes call, resolved once at start-up: handlers never look into the container. */
export async function httpUseCasesOf(container: Container): Promise<SessionHttpUseCases> {
  const [createSession, updateSession, deleteSession, getSession, listSessions, addSpeaker, removeSpeaker] = await Promise.all([
    container.getAsync(CreateSession),
    container.getAsync(UpdateSession),
    container.getAsync(DeleteSession),
    container.getAsync(GetSession),
    container.getAsync(ListSessions),
    container.getAsync(AddSpeaker),
    container.getAsync(RemoveSpeaker),
  ]);
  return { createSession, updateSession, deleteSession, getSession, listSessions, addSpeaker, removeSpeaker };
}
