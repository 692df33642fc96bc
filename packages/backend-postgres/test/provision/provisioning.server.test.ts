import { createPostgresBackend } from '../../src/index.js';
import { useServerEngine } from '../engines/server-engine.js';
import { describeIndexColumns } from './describe-index-columns.js';
import { describeProvisioning } from './describe-provisioning.js';

const engine = useServerEngine();
const server = {
  backend: () => createPostgresBackend({ pool: engine().pool }),
  sql: () => engine().sql,
};

describeIndexColumns('a PostgreSQL 17 server', server);
describeProvisioning('a PostgreSQL 17 server', {
  ...server,
  server: {
    get connectionString() {
      return engine().server.connectionString;
    },
    createBackend: (connectionString: string) => createPostgresBackend({ connectionString }),
  },
});
