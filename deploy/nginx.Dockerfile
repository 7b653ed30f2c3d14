# syntax=docker/dockerfile:1
# nginx serving the built front end and routing the API and /ws. Build context: the repository root.
# The site is a template (deploy/nginx.conf, or deploy/nginx.openfaas.conf with MEDIANEST_NGINX_VARIANT=openfaas)
# rendered by the image's envsubst step at start; the defaults below are the compose.yaml service names.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM nginx:1.27-bookworm
# Only our own names are substituted, so nginx's $variables in the templates are never touched.
ENV NGINX_ENVSUBST_FILTER="^(NGINX|MEDIANEST)_"
ENV MEDIANEST_NGINX_VARIANT=compose
ENV NGINX_LISTEN=80
ENV NGINX_REDIRECT_LISTEN=80
ENV NGINX_SERVER_NAME=_
ENV NGINX_FRONTEND_ROOT=/usr/share/medianest
ENV NGINX_ACME_ROOT=/var/www/acme
ENV NGINX_ACCESS_LOG=/var/log/nginx/access.log
ENV NGINX_AUTH_UPSTREAM=auth:8080
ENV NGINX_MEDIA_UPSTREAM=media:8080
ENV NGINX_DOWNLOADS_UPSTREAM=downloads:8080
ENV NGINX_STATUS_UPSTREAM=status:8080
ENV NGINX_WEBHOOKS_UPSTREAM=webhooks:8080
ENV NGINX_REALTIME_UPSTREAM=realtime:8080
ENV NGINX_GATEWAY_UPSTREAM=gateway:8080
COPY deploy/nginx.conf deploy/nginx.openfaas.conf deploy/nginx.tls.conf /etc/medianest/
COPY --chmod=755 deploy/nginx-site.sh /docker-entrypoint.d/15-medianest-site.sh
COPY --from=frontend /src/frontend/dist /usr/share/medianest
RUN mkdir -p /var/www/acme/.well-known/acme-challenge
EXPOSE 80 443
# The front page answers 200 over plain HTTP, and 301 (also healthy) when port 80 only redirects to HTTPS.
HEALTHCHECK --interval=15s --timeout=5s --retries=3 CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1/"]
