import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkParameterFile, parameterProblems } from '../../scripts/deployment-parameters';

// bicep/main.bicepparam compiled by the real CLI with azd-style environment values, then checked against the
// template's own constraints: what the azd preprovision hook (scripts/preprovision.sh) runs.
const ROOT = join(__dirname, '..', '..');
const PARAMS = 'bicep/main.bicepparam';
const azdEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AZURE_ENV_NAME: 'azl-test',
  AZURE_LOCATION: 'westeurope',
  ...extra,
});

describe('the deployment parameters check', () => {
  it('accepts the defaults and the values azd passes', () => {
    expect(checkParameterFile(ROOT, PARAMS, azdEnv())).toEqual({ problems: [] });
    expect(
      checkParameterFile(
        ROOT,
        PARAMS,
        azdEnv({ FEDORA_BRIDGE: 'true', RAWHIDE_RELEASE: '45', LOG_LEVEL: 'debug' }),
      ),
    ).toEqual({ problems: [] });
  }, 30_000);

  // Each compile starts the CLI (about 3 s of a core), so one compile carries every wrong value it can report.
  it('names each value the template does not allow, before anything reaches Azure', () => {
    expect(
      checkParameterFile(ROOT, PARAMS, azdEnv({ RAWHIDE_RELEASE: '1000', AZURE_ENV_NAME: 'Azl_Test' }))
        .problems,
    ).toEqual([
      'rawhideRelease: 1000 is above the maximum 999 (@maxValue)',
      expect.stringMatching(/^environmentName: "Azl_Test" must be lower-case letters, digits and hyphens/),
    ]);
  }, 30_000);

  it("reports the compiler's own refusal of a value outside @allowed or too short", () => {
    const refused = checkParameterFile(
      ROOT,
      PARAMS,
      azdEnv({ FEDORA_CATCH_UP: 'maybe', AZURE_ENV_NAME: 'ab' }),
    );
    expect(refused.compileErrors).toMatch(/BCP033: Expected a value of type "'off' \| 'on'"/);
    expect(refused.compileErrors).toMatch(/BCP333.*minimum allowable length is 3/);
    const missing = checkParameterFile(ROOT, PARAMS, { PATH: process.env.PATH, HOME: process.env.HOME });
    expect(missing.compileErrors).toMatch(/Environment variable "AZURE_ENV_NAME" does not exist/);
  }, 30_000);

  it('maps the gallery parameters from azd values and refuses what the template cannot check', () => {
    const existing =
      '/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/shared_previews';
    // One compile: GALLERY_ID, CREATE_GALLERY and GALLERY_EOL_DAYS all reach their parameters.
    expect(
      checkParameterFile(
        ROOT,
        PARAMS,
        azdEnv({ GALLERY_ID: existing, CREATE_GALLERY: 'true', GALLERY_EOL_DAYS: '0' }),
      ).problems,
    ).toEqual([
      'galleryEndOfLifeDays: 0 is below the minimum 1 (@minValue)',
      expect.stringMatching(/^createGallery: true together with galleryId: use an existing gallery/),
    ]);
    const definitions = {
      createGallery: { type: 'bool' },
      galleryId: { type: 'string' },
    };
    expect(parameterProblems(definitions, { createGallery: false, galleryId: existing })).toEqual([]);
    expect(parameterProblems(definitions, { createGallery: true, galleryId: '' })).toEqual([]);
    expect(parameterProblems(definitions, { createGallery: false, galleryId: 'shared_previews' })).toEqual([
      expect.stringMatching(/^galleryId: "shared_previews" must be a gallery resource id/),
    ]);
  }, 30_000);

  it('checks every constraint ARM applies, one line per problem', () => {
    const definitions = {
      memory: { type: 'int', allowedValues: [512, 2048, 4096] },
      instances: { type: 'int', minValue: 40, maxValue: 1000 },
      name: { type: 'string', minLength: 3, maxLength: 5 },
    };
    expect(parameterProblems(definitions, { memory: 1024, instances: 39, name: 'toolong' })).toEqual([
      'memory: 1024 is not allowed (@allowed: 512, 2048, 4096)',
      'instances: 39 is below the minimum 40 (@minValue)',
      'name: "toolong" is longer than 5 (@maxLength)',
    ]);
    expect(parameterProblems(definitions, { memory: 2048, instances: 1000, name: 'abc', extra: 1 })).toEqual([
      'extra: the template has no such parameter',
    ]);
  });
});
