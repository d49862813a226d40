export { type Logger, jsonLogger, silentLogger, errorFields } from '@conference/kernel';
