#!/bin/sh
# bench workload: a tiny health check the playbooks install
test -f /etc/benchapp/app.conf && echo ok
