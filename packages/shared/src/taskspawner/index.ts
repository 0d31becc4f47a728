export * from './work-item.js';
