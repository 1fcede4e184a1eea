// The resource directory both the SDK and the engine-tier tests of SERVICE_MANAGED groups run
// against: a management account, a root account and three folders (one nested).
export const ADMIN = '1000000000000001';

export const DIRECTORY_TREE = [
  {
    accountId: ADMIN,
    accountIds: ['5000'],
    folders: [
      { folderId: 'fd-apps', name: 'Apps', accountIds: ['5001', '5002'] },
      { folderId: 'fd-appsub', parentFolderId: 'fd-apps', accountIds: ['5003'] },
      { folderId: 'fd-other', accountIds: ['5004'] },
    ],
  },
];
