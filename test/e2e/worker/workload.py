"""A workload that spans a fault (test/e2e/roles.test.ts): `workload.py N SECONDS` starts N workflows
that each wait SECONDS on a durable timer and then run one activity, and runs a worker until every one
has completed. Once all are started it writes "started" on stderr, so the test injects its fault while
they wait; the client and the worker keep going through whatever the fault does to their connections
(the SDK's own retries). A client's wait for a result that still fails after the SDK's retries (about
10 s of a history instance's shards moving) is waited for again, as an application would, and counted in
"clientErrors": the workflows are the server's, and "completed" is what the server describes them as.
Prints {"started", "completed", "results", "clientErrors", "ms"}.
TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE come from the environment (Temporal's envconfig).
"""

import asyncio
import json
import os
import sys
import time
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError
from temporalio.envconfig import ClientConfig
from temporalio.worker import Worker

QUEUE = "e2e-workload"


@activity.defn
async def finish(n: int) -> str:
    return f"done {n}"


@workflow.defn
class TimerThenActivity:
    @workflow.run
    async def run(self, n: int, seconds: float) -> str:
        await workflow.sleep(seconds)
        return await workflow.execute_activity(finish, n, start_to_close_timeout=timedelta(seconds=30))


async def patient(call, errors: list):
    """call() until it answers: an RPC failure (the cluster mid-failover) is counted and tried again."""
    while True:
        try:
            return await call()
        except RPCError as e:
            errors.append(f"{e.status.name}: {e.message}"[:200])
            await asyncio.sleep(1)


async def main(count: int, seconds: float) -> dict:
    client = await Client.connect(**ClientConfig.load_client_connect_config(disable_file=True))
    started = time.monotonic()
    run = f"{int(time.time())}"
    async with Worker(client, task_queue=QUEUE, workflows=[TimerThenActivity], activities=[finish]):
        handles = [
            await client.start_workflow(
                TimerThenActivity.run, args=[i, seconds], id=f"workload-{run}-{i}", task_queue=QUEUE
            )
            for i in range(count)
        ]
        print("started", file=sys.stderr, flush=True)
        errors: list = []
        results = await asyncio.gather(*(patient(h.result, errors) for h in handles))
        described = await asyncio.gather(*(patient(h.describe, errors) for h in handles))
    return {
        "started": len(handles),
        "completed": sum(1 for d in described if d.status == WorkflowExecutionStatus.COMPLETED),
        "results": sorted(set(r.split(" ")[0] for r in results)),
        "clientErrors": len(errors),
        "firstClientError": errors[0] if errors else None,
        "ms": int((time.monotonic() - started) * 1000),
    }


if __name__ == "__main__":
    result = asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), float(sys.argv[2])), 300))
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # the SDK's native threads can abort interpreter finalization (see worker.py)
