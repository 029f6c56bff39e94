# syntax=docker/dockerfile:1
#
# The image of the Container Apps job that builds preview VM images (`AZL_IMAGE_BUILDER=container-apps-job`).
# The dispatcher (infra/images/container-apps-image-dispatcher.ts) starts one execution per image build with
# container `args` `worker image --image <name> --version <version>` and the request in `AZL_IMAGE_JOB_REQUEST`
# (infra/images/image-job-contract.ts); `args` replace CMD and keep ENTRYPOINT, so ENTRYPOINT is the CLI.
# The worker runs kiwi-ng, Azure Linux's own image tool, on the image's real description in the distribution
# tree with the pipeline's repositories instead of the description's (`kiwi-ng --profile=<p> system build
# --description <dir> --target-dir <out> --ignore-repos --add-repo <url>,rpm-md,<alias>,<priority>`,
# shared/images/kiwi-build-command.ts), then uploads the fixed VHD, its manifest and SBOM with the CLI's code.
#
# Build from the repository root, as builder/Dockerfile (the context holds package.json, the sources and the
# distribution tree in `distro/`):
#   az acr build --registry <registry> --image azl-rebuilder-image-builder:<tag> \
#     --file infra/images/image-builder.Dockerfile .
#
# kiwi-ng writes a disk image through loop devices and mounts, as root. Container Apps runs no privileged
# container, so whether kiwi-ng's disk stage runs there is to be tried on a deployment; the VHD writer of the
# local builder (infra/images/disk-image-writer.ts: mkfs.ext4 -d, mcopy, the project's GPT) needs neither,
# which is why e2fsprogs, dosfstools and mtools are here too.
#
# Stage 1 compiles the TypeScript and keeps the production dependencies only; stage 2 is Fedora (whose
# repositories carry kiwi-ng) with kiwi-ng, its disk image dependencies, qemu-img and Fedora's own Node 20.

ARG FEDORA_RELEASE=43

FROM docker.io/library/node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json host.json ./
COPY functions functions
COPY hosts hosts
COPY shared shared
COPY infra infra
COPY testing testing
COPY bench bench
COPY scripts scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM registry.fedoraproject.org/fedora:${FEDORA_RELEASE}
# kiwi-cli is the `kiwi-ng` command, python3-kiwi its library; kiwi-systemdeps-disk-images pulls in what
# kiwi-ng runs for `oem` disks (sgdisk, mkfs, grub2 and shim tooling, qemu-img among them). qemu-img is named
# anyway: the worker reads the VHD back with it. dnf5 installs the image's packages.
RUN dnf install -y --setopt=install_weak_deps=False \
      kiwi-cli python3-kiwi kiwi-systemdeps-disk-images qemu-img \
      nodejs20 dnf5 e2fsprogs dosfstools mtools ca-certificates \
  && dnf clean all \
  && (command -v node >/dev/null || ln -s /usr/bin/node-20 /usr/local/bin/node) \
  && ln -s /opt/azl-rebuilder/bin/azl-rebuilder.js /usr/local/bin/azl-rebuilder
WORKDIR /opt/azl-rebuilder
COPY --from=build /src/package.json /src/host.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY bin bin
# The distribution tree holding base/images/images.toml and the kiwi descriptions (AZL_DISTRO_DIR).
COPY distro /srv/distro
ENV NODE_ENV=production \
    AZL_DISTRO_DIR=/srv/distro
# kiwi-ng builds as root (it installs into a root tree with dnf and owns the files as root); no USER.
WORKDIR /var/tmp/azl-image
ENTRYPOINT ["/usr/bin/node-20", "/opt/azl-rebuilder/bin/azl-rebuilder.js"]
CMD ["worker", "image"]
