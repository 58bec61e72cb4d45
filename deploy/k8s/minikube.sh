#!/usr/bin/env bash
# The chart on minikube, end to end: start minikube with the ingress and metrics-server addons,
# build the image and load it into the cluster, install the chart with minikube-values.yaml,
# run `helm test`, and print how to reach the API and watch the HPA. Needs minikube, kubectl,
# helm (v3 or v4), and docker or podman/buildah on the machine.
#   deploy/k8s/minikube.sh            everything
#   deploy/k8s/minikube.sh delete     uninstall the release and delete the namespace
set -euo pipefail
cd "$(dirname "$0")/../.."
namespace=${NAMESPACE:-events}
release=${RELEASE:-events}
image=docker.io/library/events-api:dev  # the name minikube-values.yaml asks for (pullPolicy: Never)

if [[ ${1:-} == delete ]]; then
  helm uninstall "$release" -n "$namespace" || true
  kubectl delete namespace "$namespace" --ignore-not-found
  exit 0
fi

minikube status >/dev/null 2>&1 || minikube start --cpus "${MINIKUBE_CPUS:-4}" --memory "${MINIKUBE_MEMORY:-6g}"
minikube addons enable ingress
minikube addons enable metrics-server

# Build where an engine exists, then hand the image to the cluster's runtime.
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker build -t "$image" .
  minikube image load "$image"
else
  deploy/container/build-image "$image"
  podman save --format docker-archive -o build/events-api-image.tar "$image"
  minikube image load build/events-api-image.tar
fi

# The ingress controller must be ready before an Ingress can be admitted.
kubectl -n ingress-nginx wait --for=condition=Available deployment/ingress-nginx-controller --timeout=300s

helm upgrade --install "$release" deploy/helm/marketing-events -n "$namespace" --create-namespace \
  -f deploy/k8s/minikube-values.yaml --wait --timeout 10m
helm test "$release" -n "$namespace" --logs

cat <<INFO

Installed. Reach the API through the ingress:
  curl --resolve events.minikube.test:80:$(minikube ip) http://events.minikube.test/readyz
  (on macOS/Windows drivers run 'minikube tunnel' and use 127.0.0.1 instead of the minikube ip)
Watch the autoscaler while deploy/k6/stress.js runs:
  kubectl -n $namespace get hpa -w
INFO
