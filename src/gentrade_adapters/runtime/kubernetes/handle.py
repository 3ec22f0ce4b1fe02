"""
A run as a Job's pod: a follower thread waits for the pod to start, reads its log to the end
(output lines for `logs()`, result files into the job directory), then takes the exit code from
the pod's status. `wait()` returns only after that, so the results are complete when it does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from gentrade_adapters.runtime.kubernetes.api import KubeApi
from gentrade_adapters.runtime.kubernetes.options import JobOptions
from gentrade_adapters.runtime.kubernetes.pod_status import (
    CANCELLED_EXIT_CODE,
    LOST_EXIT_CODE,
    exit_code,
    pod_name,
    start_failure,
)
from gentrade_adapters.runtime.kubernetes.results import ResultFiles
from gentrade_adapters.runtime.output import RunOutput
from gentrade_core.ports.runtime import RunHandle, RunState, RuntimeUnavailable

POD_FAILED = "BackoffLimitExceeded"
"""The Job's reason when its pod failed, which the pod's own log already explains."""
CANCEL_MARGIN_SECONDS = 2.5
"""How long past the grace period a cancel waits for the pods to go."""


class KubernetesRunHandle(RunHandle):
    def __init__(self, api: KubeApi, name: str, workdir: Path, options: JobOptions) -> None:
        self._api = api
        self._name = name
        self._options = options
        self._results = ResultFiles(workdir, options.max_result_bytes)
        self._output = RunOutput()
        self._follower = threading.Thread(target=self._follow, name=f"k8s-run-{name}", daemon=True)
        self._follower.start()

    @property
    def name(self) -> str:
        """The name of the run's Job, ConfigMap and NetworkPolicy, and the value of its run label."""
        return self._name

    def _follow(self) -> None:
        try:
            code = self._run()
        except RuntimeUnavailable as e:
            self._note(f"Error: {e}")
            code = LOST_EXIT_CODE
        except Exception as e:  # anything else: a silently dead follower would leave wait() hanging
            self._note(f"Error: following the run failed: {type(e).__name__}: {e}")
            code = LOST_EXIT_CODE
        self._output.end_output()
        self._output.set_exit_code(code)

    def _run(self) -> int:
        pod = self._await_start()
        if pod is None:
            return CANCELLED_EXIT_CODE if self._output.cancelled else LOST_EXIT_CODE
        self._read_log(pod)
        code = self._await_exit(pod)
        failure = self._api.job_failure(self._name) if code != 0 else None
        if failure and not failure.startswith(POD_FAILED):
            self._note(f"Error: Job {self._name} failed: {failure}")
        if self._results.problem:
            self._note(f"Error: {self._results.problem}")
            return code or LOST_EXIT_CODE
        if code == 0 and self._results.end_code is None:
            self._note(f"Error: the log of pod {pod} ended before all its result files arrived")
            return LOST_EXIT_CODE
        return code

    def _await_start(self) -> str | None:
        while not self._output.cancelled:
            pods = self._api.pods(self._name)
            if not pods:
                failure = self._api.job_failure(self._name)
                if failure:
                    self._note(f"Error: Job {self._name} failed before its pod ran: {failure}")
                    return None
            elif pods[0].status and pods[0].status.phase in ("Running", "Succeeded", "Failed"):
                return pod_name(pods[0])
            elif reason := start_failure(pods[0]):
                self._note(
                    f"Error: pod {pod_name(pods[0])} cannot start: {reason}; build the runner image "
                    "(nox -s runner_image), make it pullable by the cluster and set GENTRADE_RUNNER_IMAGE"
                )
                return None
            time.sleep(self._options.poll_seconds)
        return None

    def _read_log(self, pod: str) -> None:
        pending = b""
        for chunk in self._api.log(pod):
            *complete, pending = (pending + chunk).split(b"\n")
            for raw in complete:
                self._take(raw.decode("utf-8", "replace").rstrip("\r"))
        if pending:
            self._take(pending.decode("utf-8", "replace"))

    def _await_exit(self, pod: str) -> int:
        while not self._output.cancelled:
            current = self._api.pod(pod)
            if current is None:
                failure = self._api.job_failure(self._name)
                self._note(
                    f"Error: pod {pod} went away before reporting an exit code ({failure or 'deleted'})"
                )
                return LOST_EXIT_CODE
            code = exit_code(current)
            if code is not None:
                return code
            time.sleep(self._options.poll_seconds)
        return CANCELLED_EXIT_CODE

    def _take(self, line: str) -> None:
        if not self._results.take(line):
            self._output.add_line(line)

    def _note(self, line: str) -> None:
        if not self._output.cancelled:
            self._take(line)

    def logs(self) -> Iterator[str]:
        """Until the output ends or the run is cancelled: its follower may be stuck in a dying pod's log."""
        return self._output.lines(stop_on_cancel=True)

    def wait(self, timeout: float | None = None) -> int | None:
        return self._output.wait_exit(timeout)

    def state(self) -> RunState:
        return self._output.state()

    def _await_pods_gone(self) -> None:
        deadline = time.monotonic() + self._options.termination_grace_seconds + CANCEL_MARGIN_SECONDS
        while self._api.pods(self._name) and time.monotonic() < deadline:
            time.sleep(min(self._options.poll_seconds, 0.2))

    def cancel(self) -> None:
        """Delete the Job in the foreground (its pods get the short grace period) and wait for them."""
        if not self._output.mark_cancelled():
            return
        self._api.delete("Job", self._name)
        self._await_pods_gone()
        self._output.set_exit_code(CANCELLED_EXIT_CODE)

    def cleanup(self) -> None:
        """Delete the Job (pods first), then the NetworkPolicy and the ConfigMap; the workdir stays."""
        self.cancel()
        self._api.delete("Job", self._name)
        self._await_pods_gone()
        for kind in ("NetworkPolicy", "ConfigMap"):
            self._api.delete(kind, self._name)
        self._follower.join(timeout=self._options.termination_grace_seconds + CANCEL_MARGIN_SECONDS)
