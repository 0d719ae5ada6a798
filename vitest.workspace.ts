export default ["packages/core", "packages/ringcentral", "packages/people-contacts", "packages/cli", "packages/testkit", "examples"]
