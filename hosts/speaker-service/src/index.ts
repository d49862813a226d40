export { PostgresSpeakerRepository } from './adapters/postgres/postgres-speaker-repository.js';
export { speakerMigrationSets } from './adapters/postgres/migrations.js';
export { createPostgresSpeakerUnitOfWork, type PostgresSpeakerScope } from './adapters/postgres/unit-of-work.js';
export { speakerGrpcService, speakerGrpcServiceFor, type SpeakerGrpcUseCases } from './grpc/speaker-grpc-service.js';
