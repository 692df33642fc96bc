export {
  createMemoryBackend,
  type MemoryBackend,
  type MemoryBackendOptions,
  memoryCapabilities,
} from './memory-backend.js';
