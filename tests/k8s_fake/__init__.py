"""
A fake Kubernetes API server for tests: real HTTP, the REST paths the Kubernetes runtime uses, and
a fake kubelet that runs each pod's container command on this host, so a real Freqtrade backtest
goes through the real client, the real manifests and the real pod-side script.
"""

from tests.k8s_fake.server import FakeKubernetes

__all__ = ["FakeKubernetes"]
