# `sim debug panic` is a diagnostics tool for the page: it panics there on purpose, so
# the error banner's Restart (the session replayed without the command that crashed it)
# can be tried and tested in a release build. The CLI has nothing to recover, so it
# answers with a message, and the cluster carries on.
sim debug panic
sim debug
sim debug panic now
sim debug '<img src=x>'
kubectl get nodes
