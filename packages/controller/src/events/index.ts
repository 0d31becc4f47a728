export {
  EVENT_SOURCE_COMPONENT,
  type EventRecorder,
  type EventSubject,
  type EventType,
  KubeEventRecorder,
} from './recorder.js';
