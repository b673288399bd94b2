"""A workflow that waits for a signal across a day-2 operation: backup and restore, password rotation,
an upgrade (test/e2e/backup.test.ts, rotate.test.ts, upgrade.test.ts).

`start ID`: starts SignalWaitWorkflow with id ID and runs a worker until the workflow waits (its query
answers). `finish ID [TEXT]`: runs a worker, signals the workflow with TEXT (default "done") and prints
its result ("signalled: TEXT") as JSON. `bulk N`:
runs N of them to completion (ids bulk-0 ...), for the backup's size and time with N workflows.
TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE come from the environment (Temporal's envconfig).
"""

import asyncio
import json
import os
import sys
import time

from temporalio import workflow
from temporalio.client import Client
from temporalio.envconfig import ClientConfig
from temporalio.worker import Worker

QUEUE = "e2e-backup-signal"


@workflow.defn
class SignalWaitWorkflow:
    def __init__(self) -> None:
        self.greeting = ""

    @workflow.run
    async def run(self) -> str:
        await workflow.wait_condition(lambda: self.greeting != "")
        return f"signalled: {self.greeting}"

    @workflow.signal
    def proceed(self, greeting: str) -> None:
        self.greeting = greeting

    @workflow.query
    def waiting(self) -> bool:
        return self.greeting == ""


async def main(mode: str, workflow_id: str, text: str = "done") -> dict:
    client = await Client.connect(**ClientConfig.load_client_connect_config(disable_file=True))
    async with Worker(client, task_queue=QUEUE, workflows=[SignalWaitWorkflow]):
        if mode == "bulk":
            started = time.monotonic()
            handles = [
                await client.start_workflow(SignalWaitWorkflow.run, id=f"bulk-{i}", task_queue=QUEUE)
                for i in range(int(workflow_id))
            ]
            await asyncio.gather(*(h.signal(SignalWaitWorkflow.proceed, "bulk") for h in handles))
            results = await asyncio.gather(*(h.result() for h in handles))
            return {"completed": len(results), "ms": int((time.monotonic() - started) * 1000)}
        if mode == "start":
            handle = await client.start_workflow(SignalWaitWorkflow.run, id=workflow_id, task_queue=QUEUE)
            return {"workflowId": workflow_id, "runId": handle.result_run_id, "waiting": await handle.query(SignalWaitWorkflow.waiting)}
        handle = client.get_workflow_handle(workflow_id)
        await handle.signal(SignalWaitWorkflow.proceed, text)
        return {"workflowId": workflow_id, "result": await asyncio.wait_for(handle.result(), 60)}


if __name__ == "__main__":
    result = asyncio.run(asyncio.wait_for(main(*sys.argv[1:4]), 120))
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # the SDK's native threads can abort interpreter finalization (see worker.py)
