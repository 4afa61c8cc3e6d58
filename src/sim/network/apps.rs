//! What the application in a container answers: nginx's welcome page, traefik/whoami's
//! `Hostname:`/`IP:` lines, hashicorp/http-echo's text, agnhost's netexec, and what a
//! database says to a stray HTTP request.
