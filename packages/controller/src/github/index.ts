export * from './api-base-url.js';
export * from './app-credentials.js';
export * from './mint-token.js';
export * from './token-secret.js';
