import { waitUntil, type WaitUntilOptions } from './waitUntil';

/** Resolves once `url` answers 2xx (each try times out after 2 s); see `waitUntil` for the options. */
export async function waitForHttpOk(url: string, options: WaitUntilOptions = {}): Promise<void> {
  await waitUntil(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.ok;
    },
    { intervalMs: 200, description: `${url} to answer 2xx`, ...options },
  );
}
