#!/bin/sh
# Runs from the nginx image's /docker-entrypoint.d/ before its envsubst step (20-envsubst-on-templates.sh):
# picks the site template for this deployment and, when a certificate is configured, the TLS template.
set -eu
templates=/etc/nginx/templates
mkdir -p "$templates"
rm -f "$templates"/*.template
case "${MEDIANEST_NGINX_VARIANT:-compose}" in
  compose) cp /etc/medianest/nginx.conf "$templates/default.conf.template" ;;
  openfaas) cp /etc/medianest/nginx.openfaas.conf "$templates/default.conf.template" ;;
  *) echo "medianest: MEDIANEST_NGINX_VARIANT must be compose or openfaas" >&2; exit 1 ;;
esac
if [ -n "${NGINX_TLS_CERT:-}" ]; then
  cp /etc/medianest/nginx.tls.conf "$templates/tls.conf.template"
fi
