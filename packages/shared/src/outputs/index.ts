export * from './parse-outputs.js';
