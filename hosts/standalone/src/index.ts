export { startStandalone, type Standalone, type StandaloneOptions } from './standalone.js';
export { createPGliteDriverFactory, sessionQueueLength, type PGliteDriverOptions } from './pglite-driver.js';
export { openServiceDatabase, type EmbeddedDatabase, type OpenDatabaseOptions } from './embedded-database.js';
export { InProcessBus, MessageCorrelation, type InProcessConsumer, type InProcessBusOptions } from './in-process-bus.js';
export { InProcessSessionDirectory, InProcessSpeakerDirectory } from './in-process-directories.js';
export { createRouter, type Mount, type RouterOptions } from './router.js';
export { persistedSigningKey } from './signing-key.js';
