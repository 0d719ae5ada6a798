export default ["packages/core", "packages/ringcentral", "packages/people-contacts", "packages/server", "packages/cli", "packages/testkit", "examples"]
