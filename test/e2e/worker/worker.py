#!/usr/bin/env python3
"""A Temporal worker as the teams consuming these clusters write one (PyPI's temporalio SDK).

Connects with the SDK's envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE from the environment;
no config file), then, on one task queue:
  1. runs a workflow that calls an activity, to completion, and checks its result;
  2. creates a schedule of that workflow (every second), waits until a scheduled run completed,
     deletes the schedule;
  3. asks visibility for the completed runs with a query (list) and counts them (count).
Prints one JSON document of what it saw. On failure: a JSON document with "error" on stdout, one
line naming the failed step on stderr, exit 1 (exit 2 for a missing setting). Every wait is bounded.
Run: PYTHONPATH=<temporalio install> TEMPORAL_ADDRESS=127.0.0.1:7233 TEMPORAL_NAMESPACE=default python3 worker.py
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import uuid
from datetime import timedelta
from importlib.metadata import version

from temporalio import activity, workflow
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleSpec,
    WorkflowExecutionStatus,
)
from temporalio.envconfig import ClientConfig
from temporalio.runtime import LogForwardingConfig, LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.worker import Worker


@activity.defn
async def compose_greeting(name: str) -> str:
    return f"Hello, {name}!"


@workflow.defn
class GreetingWorkflow:
    @workflow.run
    async def run(self, name: str) -> str:
        return await workflow.execute_activity(
            compose_greeting, name, start_to_close_timeout=timedelta(seconds=10)
        )


class StepFailed(Exception):
    """A step that did not see what it waited for; its message says what."""


async def poll(what: str, timeout_s: float, check, interval_s: float = 0.5):
    """Calls check() until it returns a truthy value; StepFailed after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = await check()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise StepFailed(f"{what} not seen within {timeout_s:g}s")
        await asyncio.sleep(interval_s)


def ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


async def run_workflow(client: Client, queue: str, run_id: str, timeout_s: float) -> dict:
    started = time.monotonic()
    handle = await client.start_workflow(
        GreetingWorkflow.run, "temporal-ctl", id=f"greeting-{run_id}", task_queue=queue
    )
    result = await asyncio.wait_for(handle.result(), timeout_s)
    if result != "Hello, temporal-ctl!":
        raise StepFailed(f"workflow returned {result!r}, expected 'Hello, temporal-ctl!'")
    return {"id": handle.id, "runId": handle.result_run_id, "result": result, "ms": ms_since(started)}


async def run_schedule(client: Client, queue: str, run_id: str, timeout_s: float) -> dict:
    started = time.monotonic()
    schedule_id = f"schedule-{run_id}"
    action = ScheduleActionStartWorkflow(
        GreetingWorkflow.run, "schedule", id=f"scheduled-{run_id}", task_queue=queue
    )
    spec = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(seconds=1))])
    handle = await client.create_schedule(schedule_id, Schedule(action=action, spec=spec))

    async def completed_run():
        for taken in (await handle.describe()).info.recent_actions:
            run = taken.action
            status = (await client.get_workflow_handle(run.workflow_id, run_id=run.first_execution_run_id).describe()).status
            if status == WorkflowExecutionStatus.COMPLETED:
                return {"workflowId": run.workflow_id, "runId": run.first_execution_run_id}
        return None

    try:
        done = await poll(f"a completed run of schedule {schedule_id}", timeout_s, completed_run)
        actions = (await handle.describe()).info.num_actions
    finally:
        await handle.delete()
    return {"id": schedule_id, "actions": actions, "completedRun": done, "deleted": True, "ms": ms_since(started)}


async def query_visibility(client: Client, expected_ids: list, timeout_s: float) -> dict:
    started = time.monotonic()
    query = f"WorkflowType = '{GreetingWorkflow.__name__}' AND ExecutionStatus = 'Completed'"

    async def all_listed():
        listed = [w.id async for w in client.list_workflows(query, limit=1000)]
        return listed if all(i in listed for i in expected_ids) else None

    listed = await poll(f"{expected_ids} in list_workflows({query!r})", timeout_s, all_listed)
    counted = await poll(
        f"count_workflows({query!r}) >= {len(listed)}",
        timeout_s,
        lambda: count_at_least(client, query, len(listed)),
    )
    return {"query": query, "listed": sorted(listed), "count": counted, "ms": ms_since(started)}


async def count_at_least(client: Client, query: str, n: int):
    count = (await client.count_workflows(query)).count
    return count if count >= n else None


def quiet_runtime() -> Runtime:
    """The SDK core logs to stdout by default: forward its warnings to Python logging (stderr) instead,
    so stdout carries only the report."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="worker: %(name)s %(levelname)s %(message)s")
    forwarding = LogForwardingConfig(logger=logging.getLogger("temporalio.core"))
    core_logs = LoggingConfig(filter=TelemetryFilter(core_level="WARN", other_level="ERROR"), forwarding=forwarding)
    return Runtime(telemetry=TelemetryConfig(logging=core_logs))


async def beside(worker_run: asyncio.Task, step):
    """Awaits step while the worker runs; a worker that stops first (say, its namespace is unknown)
    fails the step with the worker's own error instead of leaving it waiting."""
    step_task = asyncio.ensure_future(step)
    await asyncio.wait({step_task, worker_run}, return_when=asyncio.FIRST_COMPLETED)
    if step_task.done():
        return step_task.result()
    step_task.cancel()
    error = worker_run.exception()
    raise StepFailed(f"the worker stopped: {error or 'without an error'}")


async def main(args: argparse.Namespace, report: dict) -> None:
    connect = ClientConfig.load_client_connect_config(disable_file=True)
    report.update(address=connect.get("target_host"), namespace=connect.get("namespace"), taskQueue=args.task_queue)
    report["step"] = "connect"
    client = await asyncio.wait_for(Client.connect(**connect, runtime=quiet_runtime()), args.timeout)
    run_id = uuid.uuid4().hex[:12]
    worker = Worker(client, task_queue=args.task_queue, workflows=[GreetingWorkflow], activities=[compose_greeting])
    worker_run = asyncio.create_task(worker.run())
    try:
        report["step"] = "workflow"
        report["workflow"] = await beside(worker_run, run_workflow(client, args.task_queue, run_id, args.timeout))
        report["step"] = "schedule"
        report["schedule"] = await beside(worker_run, run_schedule(client, args.task_queue, run_id, args.timeout))
        report["step"] = "visibility"
        expected = [report["workflow"]["id"], report["schedule"]["completedRun"]["workflowId"]]
        report["visibility"] = await query_visibility(client, expected, args.timeout)
        report["step"] = "shutdown"
    finally:
        if not worker_run.done():
            await worker.shutdown()
    del report["step"]


def cli() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--task-queue", default="temporal-ctl-worker", help="task queue to poll")
    parser.add_argument("--timeout", type=float, default=60, help="bound of each wait, in seconds")
    args = parser.parse_args()
    missing = [k for k in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE") if not os.environ.get(k)]
    if missing:
        print(f"worker: {' and '.join(missing)} not set; export them (e.g. TEMPORAL_ADDRESS=127.0.0.1:7233)", file=sys.stderr)
        return 2
    report: dict = {"sdk": f"temporalio {version('temporalio')}", "step": "start"}
    started = time.monotonic()
    try:
        # The whole run is bounded too: a hang in shutdown or in a call without its own deadline.
        asyncio.run(asyncio.wait_for(main(args, report), args.timeout * 4))
    except BaseException as error:  # noqa: BLE001 - every failure becomes one report and exit 1
        step = report.get("step", "start")
        message = str(error) or type(error).__name__
        report["error"] = {"step": step, "type": type(error).__name__, "message": message}
        report["ms"] = ms_since(started)
        print(json.dumps(report, indent=2))
        print(f"worker: {step} failed against {report.get('address')} namespace {report.get('namespace')}: {message}", file=sys.stderr)
        return 1
    report["ms"] = ms_since(started)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    code = cli()
    # The SDK's native threads can abort interpreter finalization ("Fatal Python error:
    # PyGILState_Release", sdk-python#300; seen here about once in ten runs): the report is written,
    # so leave without finalizing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
