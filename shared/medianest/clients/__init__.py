"""Thin, typed clients for the outside services, each built on `medianest.http.ServiceClient`."""
