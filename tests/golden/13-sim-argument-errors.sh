# Every `sim` argument is checked and a bad one answered as kubectl answers it; nothing
# in the cluster changes and the console keeps working (issue #12: an invalid node name
# used to panic the bootstrap code and stop the page).

# A node name is a Node's metadata.name: the apiserver validates it as `kubectl create`
# of that Node would, and the kubelet's kubernetes.io/hostname label carries it too.
sim node add '<img src=x>'
sim node add ""
sim node add aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
sim node add worker-1
sim node add worker-9 extra
kubectl get nodes

# A valid name still joins.
sim node add edge-1.example
kubectl get nodes edge-1.example -o wide

sim node down '<b>bold</b>'
sim node up nope
sim time now
sim messages 5 6
sim messages -1
sim registry missing '<img src=x>'
sim registry sideways
sim traffic start --rate
sim traffic start --from
sim traffic start --rate 0 http://172.18.0.3/
sim traffic start 'http://[::1/'
sim traffic start http://172.18.0.3:99999/
sim traffic start 'javascript:alert(1)'
sim traffic stop '<x>'
sim trace 18446744073709551616
sim forwards stop '<x>'
sim '<script>alert(1)</script>'
sim traffic list
