#!/usr/bin/env python3
"""Finishes a workflow that waits for a signal (PyPI's temporalio SDK), as a team's worker would.

The workflow (type WaitForSignal, signal "proceed") is started and signalled with Temporal's CLI;
this worker polls the task queue until that workflow completes, then prints one JSON document:
{"workflowId", "result"}. Exit 1 with {"error"} when it does not complete within --timeout.
Connects with the SDK's envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE from the environment).
Run: PYTHONPATH=<temporalio install> TEMPORAL_ADDRESS=... TEMPORAL_NAMESPACE=default \
     python3 signal_worker.py --task-queue Q --workflow-id ID
"""

import argparse
import asyncio
import json
import logging
import sys

from temporalio import workflow
from temporalio.client import Client
from temporalio.envconfig import ClientConfig
from temporalio.worker import Worker


@workflow.defn(name="WaitForSignal")
class WaitForSignal:
    def __init__(self) -> None:
        self.value = None

    @workflow.signal(name="proceed")
    def proceed(self, value: str) -> None:
        self.value = value

    @workflow.run
    async def run(self) -> str:
        await workflow.wait_condition(lambda: self.value is not None)
        return f"proceeded: {self.value}"


async def main(args: argparse.Namespace) -> dict:
    client = await Client.connect(**ClientConfig.load_client_connect_config(disable_file=True))
    async with Worker(client, task_queue=args.task_queue, workflows=[WaitForSignal]):
        result = await client.get_workflow_handle(args.workflow_id).result()
    return {"workflowId": args.workflow_id, "result": result}


def cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--workflow-id", required=True)
    parser.add_argument("--timeout", type=float, default=60, help="seconds until the workflow must have completed")
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    try:
        print(json.dumps(asyncio.run(asyncio.wait_for(main(args), args.timeout))))
        return 0
    except BaseException as error:  # noqa: BLE001 - any failure is one JSON document and exit 1
        print(json.dumps({"workflowId": args.workflow_id, "error": str(error) or type(error).__name__}))
        return 1


if __name__ == "__main__":
    sys.exit(cli())
