"""A client that keeps calling while the cluster changes under it (test/e2e/roles.test.ts's rolling
upgrade): DescribeNamespace through the address it is given, every 100 ms, with the SDK's own retries
(retry=True: what an application's client does), until SIGTERM or 600 s. Writes "polling" on stderr
after the first answer. Prints {"calls", "failed", "firstError", "maxMs", "servers"}: "failed" counts
calls that still failed after the SDK's retries; "servers" the server releases that answered
GetSystemInfo along the way, in order.
TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE come from the environment (Temporal's envconfig).
"""

import asyncio
import json
import os
import signal
import sys
import time

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, GetSystemInfoRequest
from temporalio.client import Client
from temporalio.envconfig import ClientConfig
from temporalio.service import RPCError

INTERVAL = 0.1
LIMIT = 600


async def main() -> dict:
    config = ClientConfig.load_client_connect_config(disable_file=True)
    client = await Client.connect(**config)
    service = client.workflow_service
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    calls = failed = 0
    first_error = None
    max_ms = 0
    servers: list = []
    deadline = time.monotonic() + LIMIT
    while not stop.is_set() and time.monotonic() < deadline:
        began = time.monotonic()
        calls += 1
        try:
            await service.describe_namespace(DescribeNamespaceRequest(namespace=client.namespace), retry=True)
            if calls % 10 == 1:
                info = await service.get_system_info(GetSystemInfoRequest(), retry=True)
                if not servers or servers[-1] != info.server_version:
                    servers.append(info.server_version)
            if calls == 1:
                print("polling", file=sys.stderr, flush=True)
        except RPCError as e:
            failed += 1
            first_error = first_error or f"{e.status.name}: {e.message}"[:200]
        took = time.monotonic() - began
        max_ms = max(max_ms, int(took * 1000))
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, INTERVAL - took))
        except asyncio.TimeoutError:
            pass
    return {"calls": calls, "failed": failed, "firstError": first_error, "maxMs": max_ms, "servers": servers}


if __name__ == "__main__":
    result = asyncio.run(main())
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # the SDK's native threads can abort interpreter finalization (see worker.py)
