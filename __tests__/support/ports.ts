import { createServer } from 'node:net';

/** A port on 127.0.0.1 where nothing listens: taken from the kernel by a server that is closed again. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port from the kernel');
  return address.port;
}
