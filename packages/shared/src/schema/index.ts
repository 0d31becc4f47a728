export * from './agentconfig.js';
export * from './common.js';
export * from './helpers.js';
export * from './kubernetes.js';
export * from './object-meta.js';
export * from './task.js';
export * from './taskspawner.js';
export * from './workspace.js';
