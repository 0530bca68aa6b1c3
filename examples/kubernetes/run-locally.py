#!/usr/bin/env python3
"""Run the pod commands of shards-job.yaml and merge-job.yaml on this machine, without
Kubernetes: each shard pod's `sh -c` script with its JOB_COMPLETION_INDEX, then the merge's,
with /data and /scenario mapped to local folders. It checks the shell in the manifests and
that SHARDS equals `completions`; it cannot check the cluster's side (image, volume, scheduling).

    python3 examples/kubernetes/run-locally.py DATA_DIR SCENARIO_DIR BIN_DIR

DATA_DIR stands for the volume (/data), SCENARIO_DIR for the ConfigMap (/scenario: a copy of
networks/), BIN_DIR holds `blockade`. RUN_FLAGS in the environment replaces the manifest's
(e.g. RUN_FLAGS="-n 200" for a quick check). Needs PyYAML.
"""
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return yaml.safe_load(f)


def run_pod(doc, data, scenario, bin_dir, extra_env):
    """Runs the first container's script as its pod would; returns its exit code."""
    spec = doc["spec"]["template"]["spec"]
    c = spec["containers"][0]
    assert c["command"] == ["/bin/sh", "-c"], c["command"]
    local = lambda text: text.replace("/scenario", scenario).replace("/data", data)
    env = dict(os.environ)
    env["PATH"] = bin_dir + os.pathsep + env["PATH"]
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = local(e["value"])
        elif e["valueFrom"].get("resourceFieldRef", {}).get("resource") == "requests.cpu":
            env[e["name"]] = str(c["resources"]["requests"]["cpu"])
    env.update(extra_env)
    if "RUN_FLAGS" in os.environ:
        env["RUN_FLAGS"] = os.environ["RUN_FLAGS"]
    return subprocess.run(["sh", "-c", local(c["args"][0])], env=env).returncode


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    data, scenario, bin_dir = (os.path.abspath(p) for p in sys.argv[1:])
    shards, merge = load("shards-job.yaml"), load("merge-job.yaml")
    n = shards["spec"]["completions"]
    assert shards["spec"]["completionMode"] == "Indexed"
    for doc in (shards, merge):
        env = {e["name"]: e.get("value") for e in doc["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["SHARDS"] == str(n), f"{doc['metadata']['name']}: SHARDS {env['SHARDS']} != completions {n}"
    for i in range(n):
        rc = run_pod(shards, data, scenario, bin_dir, {"JOB_COMPLETION_INDEX": str(i)})
        print(f"run-locally: shard pod {i}: exit {rc}")
        if rc != 0:
            sys.exit(1)
    rc = run_pod(merge, data, scenario, bin_dir, {})
    print(f"run-locally: merge pod: exit {rc}")
    sys.exit(1 if rc else 0)


if __name__ == "__main__":
    main()
