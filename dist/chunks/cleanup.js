import { g as getErrorMessage } from './errors.js';
import { RUN_LABEL } from './docker-engine.js';

/**
 * Removes everything one run created on the Docker engine, found by the run label — not by ids remembered in memory, so the `post:`
 * step can do it after the main step crashed or was cancelled. Runs in both steps; the second run finds nothing and says so.
 */
const DEFAULT_TIMEOUT_MS = 30_000;
class DeadlineExceeded extends Error {
}
/**
 * Containers first (a network or volume in use cannot be removed), then networks — with whatever is still attached to them: only
 * this run's containers join its networks, but the MCP gateway starts its servers itself and attaches them to its own network, and
 * those carry the gateway's labels, not ours — then volumes. Never throws.
 */
async function cleanupRun(engine, runId, logger, options = {}) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const started = now();
    const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const report = { runId, containers: [], networks: [], volumes: [], failures: [], timedOut: false, durationMs: 0 };
    const label = `${RUN_LABEL}=${runId}`;
    const withinDeadline = async (work) => {
        const left = deadline - now();
        if (left <= 0)
            throw new DeadlineExceeded();
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new DeadlineExceeded()), left);
        });
        try {
            return await Promise.race([work, timeout]);
        }
        finally {
            clearTimeout(timer);
        }
    };
    const attempt = async (subject, work) => {
        try {
            await withinDeadline(work());
            return true;
        }
        catch (error) {
            if (error instanceof DeadlineExceeded)
                throw error;
            report.failures.push(`${subject}: ${getErrorMessage(error)}`);
            return false;
        }
    };
    try {
        const containers = await withinDeadline(engine.listContainers({ labels: [label] }));
        await Promise.all(containers.map(async (c) => {
            const name = c.names[0] ?? c.id.slice(0, 12);
            if (await attempt(`container ${name}`, () => engine.removeContainer(c.id)))
                report.containers.push(name);
        }));
        const networks = await withinDeadline(engine.listNetworks({ labels: [label] }));
        for (const network of networks) {
            const attached = await withinDeadline(engine.listContainers({ network: network.id })).catch((error) => {
                if (error instanceof DeadlineExceeded)
                    throw error;
                report.failures.push(`containers on network ${network.name}: ${getErrorMessage(error)}`);
                return [];
            });
            await Promise.all(attached.map(async (c) => {
                const name = c.names[0] ?? c.id.slice(0, 12);
                if (await attempt(`container ${name} (on network ${network.name})`, () => engine.removeContainer(c.id)))
                    report.containers.push(name);
            }));
            // The engine may still be releasing the endpoints of containers removed a moment ago: retry a few times.
            let removed = false;
            let lastError;
            for (let i = 0; i < 4 && !removed; i++) {
                if (i > 0)
                    await withinDeadline(sleep(250 * i));
                try {
                    await withinDeadline(engine.removeNetwork(network.id));
                    removed = true;
                }
                catch (error) {
                    if (error instanceof DeadlineExceeded)
                        throw error;
                    lastError = error;
                }
            }
            if (removed)
                report.networks.push(network.name);
            else
                report.failures.push(`network ${network.name}: ${getErrorMessage(lastError)}`);
        }
        const volumes = await withinDeadline(engine.listVolumes({ labels: [label] }));
        await Promise.all(volumes.map(async (v) => {
            if (await attempt(`volume ${v.name}`, () => engine.removeVolume(v.name)))
                report.volumes.push(v.name);
        }));
    }
    catch (error) {
        if (error instanceof DeadlineExceeded)
            report.timedOut = true;
        else
            report.failures.push(getErrorMessage(error));
    }
    report.durationMs = now() - started;
    const removed = `${report.containers.length} container(s), ${report.networks.length} network(s), ${report.volumes.length} volume(s)`;
    const names = [...report.containers, ...report.networks, ...report.volumes];
    logger.info(`Docker cleanup (${label}): removed ${removed} in ${report.durationMs} ms${names.length ? `: ${names.join(', ')}` : ''}.`);
    if (report.timedOut)
        logger.warning(`Docker cleanup stopped after ${report.durationMs} ms: what is left carries the label ${label}.`);
    for (const failure of report.failures)
        logger.warning(`Docker cleanup: ${failure}`);
    return report;
}

export { cleanupRun };
