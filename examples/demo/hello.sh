#!/bin/sh
# The program the demo's prompt asks the agent to improve.
echo "Hello from the Kelos demo repository"
