export { type Logger, jsonLogger, silentLogger } from '@conference/kernel';
