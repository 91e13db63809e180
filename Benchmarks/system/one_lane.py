"""The gate the system benchmarks idle.py and latency.py run: one lane over an LU90614 and a serial
QR scanner (the peers' pseudo-terminals), a simulated relay, a policy that accepts
https://hc.example/ codes, offline (no [central])."""


def one_lane_config(gate, catalog, thermometer, scanner, journal, policy=""):
    """checkpoint.toml's text; `policy` holds extra [policy] keys, one per line."""
    return f'''gate = "{gate}"
catalog = "{catalog}"

[[device]]
id = "north"
model = "lu90614"
path = "{thermometer}"

[[device]]
id = "scan-1"
model = "honeywell-serial"
path = "{scanner}"

[[lane]]
id = "north-in"
direction = "in"
scanner = "scan-1"
thermometer = "north"
relay = {{ simulated = "relay-north", pulseMs = 100 }}

[policy]
{policy}
[[policy.credentialRule]]
prefix = "https://hc.example/"
action = "accept"

[journal]
path = "{journal}"
minimumFreeMB = 0
'''
